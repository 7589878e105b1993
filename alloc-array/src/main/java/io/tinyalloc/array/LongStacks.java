package io.tinyalloc.array;

/** What the long stacks share beyond their interface. */
final class LongStacks {

    /** toString shows at most this many elements, so a large bin does not flood a log line. */
    private static final int SHOWN_ELEMENT_COUNT = 16;

    private LongStacks() {
    }

    /** {@code "LongStack[size=3 capacity=8: 0x7f00, 0x7f10, 0x7f20]"}, bottom first, values in hex (addresses). */
    static String describe(FixedLongStack stack) {
        StringBuilder text = new StringBuilder(stack.getClass().getSimpleName())
                .append("[size=").append(stack.size()).append(" capacity=").append(stack.capacity());
        int shown = Math.min(stack.size(), SHOWN_ELEMENT_COUNT);
        for (int index = 0; index < shown; index++) {
            text.append(index == 0 ? ": 0x" : ", 0x").append(Long.toHexString(stack.get(index)));
        }
        if (shown < stack.size()) {
            text.append(", ...");
        }
        return text.append(']').toString();
    }
}
