package io.tinyalloc.bench.peers;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A second floor, for reference: the same bare {@link FloorFreeList}, but found the way a
 * {@code malloc(size)} that takes no handle must find its thread's list, through a
 * {@code static final ThreadLocal}, once for the pop and once for the push.
 *
 * <p>{@link FloorState}'s list is handed to the benchmark by JMH, so that floor pays for no thread
 * lookup at all; no allocator with a {@code malloc(long)} signature can do that. This one measures
 * what the cheapest lookup in plain Java adds. It is not the yardstick (that stays
 * {@link FloorState}); it tells how much of the gap to that yardstick is the lookup alone.
 */
@State(Scope.Thread)
public class ThreadLocalFloorState {

    /** Each JMH worker thread's list; set by {@link #open} on that thread. */
    public static final ThreadLocal<FloorFreeList> LISTS = new ThreadLocal<>();

    private FloorFreeList list;

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        list = FloorState.newList(Long.parseLong(params.getParam("byteSize")));
        LISTS.set(list);
    }

    @TearDown(Level.Trial)
    public void close() {
        LISTS.remove();
        list.close();
    }
}
