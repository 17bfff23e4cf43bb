package io.parley.api.account;

public enum DevicePlatform {
    ANDROID, IOS, WEB
}
