package dev.barista.engine.core;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.Queue;

/** Requests waiting for admission, in the order the scheduling policy admits them. */
abstract sealed class WaitingQueue {

  static WaitingQueue of(SchedulingPolicy policy) {
    return policy == SchedulingPolicy.FCFS ? new Fcfs() : new ByPriority();
  }

  /** Orders by priority value, then arrival; also picks preemption victims (the maximum). */
  static final Comparator<EngineRequest> PRIORITY_ORDER =
      Comparator.<EngineRequest>comparingInt(r -> r.priority).thenComparingLong(r -> r.arrivalOrder);

  abstract void add(EngineRequest r);

  /** Puts back a preempted or skipped request where it is admitted next. */
  abstract void addFirst(EngineRequest r);

  abstract EngineRequest peek();

  abstract EngineRequest poll();

  abstract boolean remove(EngineRequest r);

  abstract int size();

  boolean isEmpty() {
    return size() == 0;
  }

  static final class Fcfs extends WaitingQueue {
    private final Deque<EngineRequest> deque = new ArrayDeque<>();

    void add(EngineRequest r) { deque.addLast(r); }
    void addFirst(EngineRequest r) { deque.addFirst(r); }
    EngineRequest peek() { return deque.peekFirst(); }
    EngineRequest poll() { return deque.pollFirst(); }
    boolean remove(EngineRequest r) { return deque.remove(r); }
    int size() { return deque.size(); }
  }

  static final class ByPriority extends WaitingQueue {
    private final Queue<EngineRequest> heap = new PriorityQueue<>(PRIORITY_ORDER);

    void add(EngineRequest r) { heap.add(r); }
    /** Priority order decides where it goes; a preempted request keeps its original arrival. */
    void addFirst(EngineRequest r) { heap.add(r); }
    EngineRequest peek() { return heap.peek(); }
    EngineRequest poll() { return heap.poll(); }
    boolean remove(EngineRequest r) { return heap.remove(r); }
    int size() { return heap.size(); }
  }
}
