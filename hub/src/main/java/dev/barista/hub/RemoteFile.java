package dev.barista.hub;

/**
 * One file of a repo at a commit, as the hub's resolve endpoint describes it.
 *
 * @param etag the content id: the sha256 of an LFS file, or the git blob sha1 of a small file
 * @param size the byte size, or -1 where the hub did not say
 */
public record RemoteFile(RepoId repo, String commit, String path, String etag, long size) {}
