package io.tinyalloc.list;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded multi-thread stress of {@link TaggedStack}.
 *
 * <p>Workload: {@value #THREAD_COUNT} threads share {@value #NODE_COUNT} off-heap nodes, each
 * carrying its own index at offset 0 (the stack's next pointer is at offset 8); all start on
 * the stack. For {@code tinyalloc.stress.seconds} seconds (default 5), each thread, driven by
 * {@code SplittableRandom(SEED + thread)}, repeatedly:
 * <ul>
 *   <li>50%: pops a node and claims it in an on-heap ownership table with a CAS from
 *       ON_STACK to its own id: a failed claim means two threads popped the same node;</li>
 *   <li>35%: pushes one node it holds (marked ON_STACK before the push, since another
 *       thread may pop it at once);</li>
 *   <li>10%: pushes up to 8 held nodes as one chain (pushChain, with and without a count);</li>
 *   <li>5%: detaches everything with popAll and claims every node of the chain.</li>
 * </ul>
 * A thread holding more than 64 nodes pushes them back as chains. Every node a thread touches
 * must still carry its index (the stack writes only the next pointer). At the end, with the
 * threads stopped: the invariants hold, the count is exact, and every node is found exactly once,
 * either on the stack or held by a thread: none lost, none duplicated.
 */
class TaggedStackStressTest {

    private static final long SEED = 0x7A66ED_57ACL;
    private static final int THREAD_COUNT = 4;
    private static final int NODE_COUNT = 1024;
    private static final long NEXT_OFFSET = 8;
    private static final int MAX_HELD = 64;
    private static final int MAX_CHAIN = 8;
    private static final int ON_STACK = -1;

    private final long durationNanos = (long) (Double.parseDouble(
            System.getProperty("tinyalloc.stress.seconds", "5")) * 1e9);

    @Test
    void shouldNeverPopANodeTwiceNorLoseOne() throws Exception {
        try (OffHeapNodes nodes = OffHeapNodes.shared(NODE_COUNT)) {
            TaggedStack stack = new TaggedStack(NEXT_OFFSET);
            AtomicIntegerArray owners = new AtomicIntegerArray(NODE_COUNT);
            for (int i = 0; i < NODE_COUNT; i++) {
                owners.set(i, ON_STACK);
                stack.push(nodes.address(i));
            }
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            List<Worker> workers = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(THREAD_COUNT);
            long deadline = System.nanoTime() + durationNanos;
            for (int t = 0; t < THREAD_COUNT; t++) {
                workers.add(new Worker(t, stack, nodes, owners, start, deadline, firstFailure));
            }
            for (Worker worker : workers) {
                worker.thread.start();
            }
            for (Worker worker : workers) {
                worker.thread.join();
            }
            if (firstFailure.get() != null) {
                throw new AssertionError("a worker failed", firstFailure.get());
            }
            checkEveryNodeExactlyOnce(stack, nodes, workers);
        }
    }

    private static void checkEveryNodeExactlyOnce(TaggedStack stack, OffHeapNodes nodes, List<Worker> workers) {
        assertThat(stack.checkInvariants()).isTrue();
        int[] seen = new int[NODE_COUNT];
        long held = 0;
        for (Worker worker : workers) {
            assertThat(worker.operationCount).as("operations of worker %d", worker.id).isPositive();
            for (long node : worker.held) {
                seen[nodes.indexOf(node)]++;
                held++;
            }
        }
        assertThat(stack.approximateSize()).isEqualTo(NODE_COUNT - held);
        for (long node = stack.popAll(); node != 0; node = stack.next(node)) {
            assertThat(OffHeapNodes.idOf(node)).isEqualTo(nodes.indexOf(node));
            seen[nodes.indexOf(node)]++;
        }
        for (int i = 0; i < NODE_COUNT; i++) {
            assertThat(seen[i]).as("times node %d was found", i).isEqualTo(1);
        }
    }

    /** One stressing thread and the nodes it holds when it stops. */
    private static final class Worker implements Runnable {
        final int id;
        final Thread thread;
        final List<Long> held = new ArrayList<>();
        long operationCount;

        private final TaggedStack stack;
        private final OffHeapNodes nodes;
        private final AtomicIntegerArray owners;
        private final CyclicBarrier start;
        private final long deadline;
        private final AtomicReference<Throwable> firstFailure;
        private final SplittableRandom random;

        Worker(int id, TaggedStack stack, OffHeapNodes nodes, AtomicIntegerArray owners, CyclicBarrier start,
               long deadline, AtomicReference<Throwable> firstFailure) {
            this.id = id;
            this.stack = stack;
            this.nodes = nodes;
            this.owners = owners;
            this.start = start;
            this.deadline = deadline;
            this.firstFailure = firstFailure;
            this.random = new SplittableRandom(SEED + id);
            this.thread = new Thread(this, "tagged-stack-stress-" + id);
        }

        @Override
        public void run() {
            try {
                start.await();
                while (firstFailure.get() == null) {
                    if ((operationCount & 255) == 0 && System.nanoTime() >= deadline) {
                        return;
                    }
                    step();
                    operationCount++;
                }
            } catch (Throwable failure) {
                firstFailure.compareAndSet(null, failure);
            }
        }

        private void step() {
            if (held.size() > MAX_HELD) {
                pushChain(MAX_CHAIN);
                return;
            }
            int dice = random.nextInt(100);
            if (dice < 50) {
                claim(stack.pop());
            } else if (dice < 85) {
                pushOne();
            } else if (dice < 95) {
                pushChain(1 + random.nextInt(MAX_CHAIN));
            } else {
                for (long node = stack.popAll(); node != 0; ) {
                    long next = stack.next(node);
                    claim(node);
                    node = next;
                }
            }
        }

        private void claim(long node) {
            if (node == 0) {
                return;
            }
            int index = nodes.indexOf(node);
            int owner = owners.compareAndExchange(index, ON_STACK, id);
            if (owner != ON_STACK) {
                throw new AssertionError("node " + index + " popped by worker " + id + " is held by " + owner);
            }
            if (OffHeapNodes.idOf(node) != index) {
                throw new AssertionError("node " + index + " carries id " + OffHeapNodes.idOf(node));
            }
            held.add(node);
        }

        private void release(long node) {
            owners.set(nodes.indexOf(node), ON_STACK);
        }

        private void pushOne() {
            if (!held.isEmpty()) {
                long node = held.removeLast();
                release(node);
                stack.push(node);
            }
        }

        private void pushChain(int length) {
            int count = Math.min(length, held.size());
            if (count == 0) {
                return;
            }
            long first = held.removeLast();
            long last = first;
            release(first);
            for (int i = 1; i < count; i++) {
                long node = held.removeLast();
                release(node);
                stack.setNext(last, node);
                last = node;
            }
            if (random.nextBoolean()) {
                stack.pushChain(first, last, count);
            } else {
                stack.pushChain(first, last);
            }
        }
    }
}
