package dev.barista.engine.core;

/**
 * Blocks nobody references, least recently freed first. A doubly linked list so that a cached
 * block found again by a prefix lookup leaves the queue in O(1) from anywhere.
 */
final class FreeBlockQueue {
  private KvBlock head;
  private KvBlock tail;
  private int size;

  int size() {
    return size;
  }

  void append(KvBlock block) {
    if (block.inFreeQueue) throw new IllegalStateException(block + " is already free");
    block.prevFree = tail;
    block.nextFree = null;
    if (tail == null) head = block;
    else tail.nextFree = block;
    tail = block;
    block.inFreeQueue = true;
    size++;
  }

  /** Takes the least recently freed block. */
  KvBlock popFirst() {
    if (head == null) throw new IllegalStateException("no free KV block");
    KvBlock block = head;
    remove(block);
    return block;
  }

  void remove(KvBlock block) {
    if (!block.inFreeQueue) throw new IllegalStateException(block + " is not free");
    if (block.prevFree == null) head = block.nextFree;
    else block.prevFree.nextFree = block.nextFree;
    if (block.nextFree == null) tail = block.prevFree;
    else block.nextFree.prevFree = block.prevFree;
    block.prevFree = null;
    block.nextFree = null;
    block.inFreeQueue = false;
    size--;
  }
}
