package dev.barista.apps.spec;

/**
 * A model the runtime copies from a blob store into a local folder before a replica starts, for
 * engines that read only local folders or hub ids (vLLM and SGLang without streaming): the folder
 * then replaces {@code argv[argIndex]}, as Union mounts a downloaded model before vLLM starts.
 *
 * @param uri the store, e.g. s3://models/qwen3-0.6b
 * @param argIndex where the model stands in the replica's argv
 * @param tensorParallelSize the degree the replica runs with (a sharded model must match it)
 */
public record ModelDownload(String uri, int argIndex, int tensorParallelSize) {}
