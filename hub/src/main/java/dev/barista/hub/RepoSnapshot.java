package dev.barista.hub;

import java.nio.file.Path;
import java.util.List;

/** A repo revision present in the local cache: its commit, its folder and the files fetched. */
public record RepoSnapshot(RepoId repo, String commit, Path folder, List<String> files) {}
