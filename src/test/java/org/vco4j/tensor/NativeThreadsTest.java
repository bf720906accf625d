package org.vco4j.tensor;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeThreadsTest {
    @Test
    void withoutTheVariableOpenBlasRunsOneThreadAndWithItKeepsTheUsersChoice() {
        int before = openblas_nolapack.blas_get_num_threads();
        try {
            openblas_nolapack.blas_set_num_threads(2); // OpenBLAS caps it at the cores it found
            int many = openblas_nolapack.blas_get_num_threads();
            assertEquals(many, NativeThreads.limitOpenBlas("2"), "a chosen count is left alone");
            assertEquals(1, NativeThreads.limitOpenBlas(null));
        } finally {
            openblas_nolapack.blas_set_num_threads(before);
        }
    }
}
