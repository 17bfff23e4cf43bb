package io.parley.api.conversation;

public enum MessageType {
    TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT
}
