/* A minimal native MCP stdio server for benchmarks (legacy era, 2025-11-25): the other side of the host's
 * overhead measurement, so that the server costs next to nothing.
 *   echo_server            answers initialize, ping, tools/list (one tool, "echo") and tools/call
 *   ECHO_IDENTITY='{...}'  adds that x-ai-identity block to the initialize result's _meta
 * server/discover gets "method not found", so clients fall back to initialize (mcp-protocol.md §A14).
 * Not a general JSON parser: it reads the "id" and "method" members and the "text" argument of the
 * requests benchmark clients send, one JSON-RPC message per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies the raw JSON value of member `name` (a number or a string with its quotes) into out. */
static int member(const char *line, const char *name, char *out, size_t size) {
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *start = strstr(line, key);
    if (!start) return 0;
    start += strlen(key);
    while (*start == ' ') start++;
    const char *end = start;
    if (*end == '"') {
        end++;
        while (*end && *end != '"') end += (*end == '\\' && end[1]) ? 2 : 1;
        if (*end == '"') end++;
    } else {
        while (*end && *end != ',' && *end != '}' && *end != ' ') end++;
    }
    size_t length = (size_t)(end - start);
    if (length == 0 || length >= size) return 0;
    memcpy(out, start, length);
    out[length] = 0;
    return 1;
}

int main(void) {
    const char *identity = getenv("ECHO_IDENTITY");
    char *line = NULL;
    size_t capacity = 0;
    char id[128], method[128], text[4096];
    while (getline(&line, &capacity, stdin) > 0) {
        if (!member(line, "id", id, sizeof id) || !member(line, "method", method, sizeof method)) continue;
        if (strcmp(method, "\"initialize\"") == 0) {
            printf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"protocolVersion\":\"2025-11-25\","
                   "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"echo\",\"version\":\"1\"}%s%s%s}}\n",
                   id, identity ? ",\"_meta\":{\"x-ai-identity\":" : "", identity ? identity : "", identity ? "}" : "");
        } else if (strcmp(method, "\"tools/list\"") == 0) {
            printf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"tools\":[{\"name\":\"echo\",\"description\":\"Return the text.\","
                   "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
                   "\"required\":[\"text\"]}}]}}\n", id);
        } else if (strcmp(method, "\"tools/call\"") == 0) {
            if (!member(line, "text", text, sizeof text)) strcpy(text, "\"\"");
            printf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"content\":[{\"type\":\"text\",\"text\":%s}],"
                   "\"isError\":false}}\n", id, text);
        } else if (strcmp(method, "\"ping\"") == 0) {
            printf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{}}\n", id);
        } else {
            printf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":{\"code\":-32601,\"message\":\"method not found\"}}\n", id);
        }
        fflush(stdout);
    }
    free(line);
    return 0;
}
