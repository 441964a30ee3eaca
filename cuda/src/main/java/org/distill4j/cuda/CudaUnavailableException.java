package org.distill4j.cuda;

/** Why the CUDA backend cannot run here; the message is one line starting with "CUDA unavailable: ". */
final class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "CUDA unavailable: ";

    CudaUnavailableException(String reason) {
        super(PREFIX + reason);
    }
}
