/** See the module descriptor. */
package io.tinyalloc.bitmap;
