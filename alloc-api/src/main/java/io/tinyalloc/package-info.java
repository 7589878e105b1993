/** The public TinyAlloc API. */
package io.tinyalloc;
