package dev.barista.apps.spec;

/** Looks a secret's value up by its store name; fails with a message naming the missing secret. */
@FunctionalInterface
public interface SecretResolver {
  String resolve(String storeName);
}
