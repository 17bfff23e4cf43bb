package io.parley.api.media;

public enum MediaKind {
    IMAGE, VIDEO, DOCUMENT
}
