package org.vco4j.data.world;

/** The four minimal visual contrasts of the MVC data (S-VCO paper): what one edit of a scene changes. */
public enum ContrastType {
    /** One object's shape changes. */
    OBJECT("object"),
    /** One object's colour or size changes. */
    ATTRIBUTE("attribute"),
    /** One object of a shape that is present is added or removed. */
    COUNT("count"),
    /** The whole image is mirrored left to right. */
    POSITION("position");

    private final String label;

    ContrastType(String label) {
        this.label = label;
    }

    /** The name written in a sample's {@code contrast} field. */
    public String label() {
        return label;
    }
}
