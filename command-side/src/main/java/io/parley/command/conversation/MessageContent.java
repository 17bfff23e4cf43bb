package io.parley.command.conversation;

import io.parley.api.conversation.ConversationCommands.ForwardMessage;
import io.parley.api.conversation.ConversationCommands.SendMessage;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaRef;

/**
 * What a send carries once checked: stripped text within {@link InputLimits}, or a media reference as
 * recorded at upload (never the client's claim) with an optional caption, and the message type that follows.
 */
record MessageContent(MessageType type, String text, MediaRef media) {

    static MessageContent of(SendMessage command, ConversationRules rules) {
        String text = InputLimits.stripped(command.text());
        if (command.media() == null) {
            InputLimits.requireText(text);
            return new MessageContent(MessageType.TEXT, text, null);
        }
        MediaRef media = rules.ownedMedia(command.media(), command.senderId()).orElseThrow(() ->
                Rejection.MEDIA_NOT_OWNED.because("media can only be sent by the account that uploaded it"));
        if (text != null && text.isEmpty()) {
            text = null; // a caption is optional
        }
        if (text != null) {
            InputLimits.requireText(text);
        }
        return new MessageContent(MessageType.valueOf(media.kind().name()), text, media);
    }

    /**
     * A forwarded copy's content: the source's text under the same limits, and its file as recorded at upload
     * (the copy reuses it; an id no upload has is refused). The type follows the file, as for a send.
     */
    static MessageContent forwarded(ForwardMessage command, ConversationRules rules) {
        String text = InputLimits.stripped(command.text());
        if (text != null && text.isEmpty()) {
            text = null;
        }
        if (command.media() == null) {
            InputLimits.requireText(text);
            return new MessageContent(MessageType.TEXT, text, null);
        }
        MediaRef media = rules.recordedMedia(command.media().mediaId()).orElseThrow(() ->
                Rejection.MESSAGE_NOT_FOUND.because("the forwarded message's file does not exist"));
        if (text != null) {
            InputLimits.requireText(text);
        }
        return new MessageContent(MessageType.valueOf(media.kind().name()), text, media);
    }
}
