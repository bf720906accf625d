package org.vco4j.request;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestTest {
    @Test
    void namesFollowTheNotationAndParseBack() {
        assertEquals("y|m", Request.of(Response.Y, Condition.IMAGE).name());
        assertEquals("y'|M,x^'", Request.of(Response.Y_PRIME, Condition.BOTH_IMAGES_ANCHORED_TO_CONTRAST).name());
        assertEquals("y|m'[mask]", Request.masked(Response.Y, Condition.CONTRAST_IMAGE).name());
        assertEquals("y_l|m", Request.of(Response.REJECTED, Condition.IMAGE).name());
        assertEquals("y_l3|m", Request.of(Response.rejected(3), Condition.IMAGE).name());
        for (Response response : new Response[] {Response.Y, Response.Y_PRIME, Response.REJECTED, Response.rejected(12)}) {
            for (Condition condition : Condition.values()) {
                for (boolean masked : new boolean[] {false, true}) {
                    Request request = new Request(response, condition, masked);
                    assertEquals(request, Request.parse(request.name()));
                }
            }
        }
    }

    @Test
    void requestsAreValuesThatGroupByCondition() {
        assertEquals(Request.parse("y|none"), Request.of(Response.Y, Condition.NO_IMAGE));
        assertEquals(Request.parse("y|none").hashCode(), Request.of(Response.Y, Condition.NO_IMAGE).hashCode());
        assertTrue(Condition.BOTH_IMAGES_ANCHORED_TO_IMAGE.showsBothImages());
    }

    @Test
    void badNamesSayWhatIsExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Request.parse("y-m")).getMessage().contains("response|condition"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Request.parse("y|M,x")).getMessage().contains("M,x^"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Request.parse("z|m")).getMessage().contains("y_l2"));
        assertThrows(IllegalArgumentException.class, () -> Request.parse("y_l1|m"), "the first rejected answer is y_l");
        assertThrows(IllegalArgumentException.class, () -> Response.rejected(0));
    }
}
