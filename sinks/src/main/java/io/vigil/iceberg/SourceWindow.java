package io.vigil.iceberg;

import io.vigil.model.Family;

/** Valid and invalid records of one source in one window, for its invalid-rate result. */
public class SourceWindow {
    public Family family;
    public long valid;
    public long invalid;

    public SourceWindow() {}
}
