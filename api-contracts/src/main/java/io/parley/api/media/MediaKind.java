package io.parley.api.media;

public enum MediaKind {
    IMAGE, VIDEO, AUDIO, DOCUMENT
}
