/** Reports rendered as JSON (machines), Markdown (tickets) and one self-contained HTML page. */
package org.q4mbridge.compare.render;
