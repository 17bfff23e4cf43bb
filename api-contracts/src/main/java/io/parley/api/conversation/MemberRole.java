package io.parley.api.conversation;

public enum MemberRole {
    MEMBER, ADMIN
}
