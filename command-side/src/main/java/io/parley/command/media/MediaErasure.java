package io.parley.command.media;

import java.util.List;

/** Account deletion on the write side's record of files (README, Account deletion). */
public interface MediaErasure {

    /**
     * The file names the uploader gave become {@code [erased]}, and the content hashes of their files that no other
     * account uploaded too are returned, for their bytes to be deleted from the media store (content is stored once
     * per hash, so bytes another account also uploaded stay for that account).
     */
    List<String> eraseUploader(String uploaderId);
}
