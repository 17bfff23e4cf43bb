package io.parley.api.conversation;

public enum ConversationType {
    DIRECT, GROUP
}
