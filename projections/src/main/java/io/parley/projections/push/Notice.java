package io.parley.projections.push;

import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.Notification;
import com.google.firebase.messaging.WebpushConfig;
import com.google.firebase.messaging.WebpushNotification;
import io.parley.api.conversation.MessageType;

/**
 * One notification for one conversation: what the device shows (title, body) and what the app needs to open the
 * right screen (conversation id, seq). {@code count} is how many messages it stands for: more than one once the
 * coalescing window has gathered a burst.
 */
record Notice(String conversationId, long seq, String messageId, String title, String preview, int count) {

    /** "Ann" in a direct chat, "Ann @ Hiking" in a group. */
    static String title(String senderName, boolean group, String groupTitle) {
        String sender = senderName == null || senderName.isBlank() ? "Someone" : senderName;
        return group && groupTitle != null && !groupTitle.isBlank() ? sender + " @ " + groupTitle : sender;
    }

    /** The text cut to {@code maxLength} characters (never inside a surrogate pair); media by its kind. */
    static String preview(MessageType type, String text, int maxLength) {
        if (type != null && type != MessageType.TEXT) {
            return switch (type) {
                case IMAGE -> "Photo";
                case VIDEO -> "Video";
                case AUDIO -> "Voice message";
                case DOCUMENT -> "Document";
                case TEXT -> throw new IllegalStateException();
            };
        }
        String clean = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        if (clean.codePointCount(0, clean.length()) <= maxLength) {
            return clean;
        }
        return clean.substring(0, clean.offsetByCodePoints(0, maxLength - 1)) + "…";
    }

    String body() {
        return count <= 1 ? preview : count + " new messages";
    }

    /**
     * The FCM message for one token. The conversation id is the collapse key on every platform, so a device keeps
     * one notification per conversation: Android's collapse key and notification tag, APNs' apns-collapse-id and
     * thread id, web push's Topic header (at most 32 URL-safe characters: the UUID without its dashes) and tag.
     */
    Message toMessage(String token) {
        String topic = conversationId.replace("-", "");
        return Message.builder()
                .setToken(token)
                .setNotification(Notification.builder().setTitle(title).setBody(body()).build())
                .putData("conversationId", conversationId)
                .putData("seq", Long.toString(seq))
                .putData("messageId", messageId)
                .putData("count", Integer.toString(count))
                .setAndroidConfig(AndroidConfig.builder()
                        .setCollapseKey(conversationId)
                        .setPriority(AndroidConfig.Priority.HIGH)
                        .setNotification(AndroidNotification.builder().setTag(conversationId).build())
                        .build())
                .setApnsConfig(ApnsConfig.builder()
                        .putHeader("apns-collapse-id", conversationId)
                        .setAps(Aps.builder().setThreadId(conversationId).build())
                        .build())
                .setWebpushConfig(WebpushConfig.builder()
                        .putHeader("Topic", topic.length() > 32 ? topic.substring(0, 32) : topic)
                        .setNotification(WebpushNotification.builder().setTag(conversationId).build())
                        .build())
                .build();
    }
}
