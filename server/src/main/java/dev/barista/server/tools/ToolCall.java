package dev.barista.server.tools;

/** One parsed tool call: the function's name and its arguments as a JSON object string. */
public record ToolCall(String name, String arguments) {}
