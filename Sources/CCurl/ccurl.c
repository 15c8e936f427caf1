#define _GNU_SOURCE
#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* The libcurl functions Gatehouse calls, resolved by load() from libcurl.so.4. */
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char load_error[512] = "libcurl was not loaded yet";

#define RESOLVE(field, name)                                                                       \
    do {                                                                                           \
        *(void **)(&api.field) = dlsym(library, name);                                             \
        if (api.field == NULL) {                                                                   \
            snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", name);               \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load libcurl.so.4: %s", reason ? reason : "unknown error");
        return;
    }
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_perform, "curl_easy_perform");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    RESOLVE(multi_init, "curl_multi_init");
    RESOLVE(multi_add_handle, "curl_multi_add_handle");
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(multi_perform, "curl_multi_perform");
    RESOLVE(multi_poll, "curl_multi_poll");
    RESOLVE(multi_wakeup, "curl_multi_wakeup");
    RESOLVE(multi_setopt, "curl_multi_setopt");
    RESOLVE(multi_info_read, "curl_multi_info_read");
    loaded = 1;
}

CURLcode ccurl_global_init(long flags) {
    pthread_once(&load_once, load);
    return loaded ? api.global_init(flags) : CURLE_FAILED_INIT;
}

const char *ccurl_load_error(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_error;
}

/* Every other entry point is reached only after ccurl_global_init succeeded (CurlHTTPClient.globalInit),
   but each still checks, so a missing library is an error, never a call through NULL. */
CURL *ccurl_easy_init(void) { return loaded ? api.easy_init() : NULL; }
void ccurl_easy_cleanup(CURL *handle) { if (loaded) api.easy_cleanup(handle); }
CURLcode ccurl_easy_perform(CURL *handle) { return loaded ? api.easy_perform(handle) : CURLE_FAILED_INIT; }
const char *ccurl_easy_strerror(CURLcode code) { return loaded ? api.easy_strerror(code) : load_error; }
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) {
    return loaded ? api.slist_append(list, text) : NULL;
}
void ccurl_slist_free_all(struct curl_slist *list) { if (loaded) api.slist_free_all(list); }

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_progress_callback(CURL *handle, ccurl_progress_callback value) {
    return loaded ? api.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_post_body(CURL *handle, const char *bytes, long length) {
    if (!loaded) return CURLE_FAILED_INIT;
    CURLcode code = api.easy_setopt(handle, CURLOPT_POSTFIELDSIZE, length);
    if (code != CURLE_OK) return code;
    return api.easy_setopt(handle, CURLOPT_COPYPOSTFIELDS, bytes);
}
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return loaded ? api.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

CURLM *ccurl_multi_init(void) { return loaded ? api.multi_init() : NULL; }
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle) {
    return loaded ? api.multi_add_handle(multi, handle) : CURLM_INTERNAL_ERROR;
}
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle) {
    return loaded ? api.multi_remove_handle(multi, handle) : CURLM_INTERNAL_ERROR;
}
CURLMcode ccurl_multi_perform(CURLM *multi, int *running) {
    return loaded ? api.multi_perform(multi, running) : CURLM_INTERNAL_ERROR;
}
CURLMcode ccurl_multi_poll(CURLM *multi, int timeout_ms) {
    return loaded ? api.multi_poll(multi, NULL, 0, timeout_ms, NULL) : CURLM_INTERNAL_ERROR;
}
CURLMcode ccurl_multi_wakeup(CURLM *multi) { return loaded ? api.multi_wakeup(multi) : CURLM_INTERNAL_ERROR; }
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return loaded ? api.multi_setopt(multi, option, value) : CURLM_INTERNAL_ERROR;
}
int ccurl_multi_next_done(CURLM *multi, CURL **handle, CURLcode *result) {
    if (!loaded) return 0;
    int left = 0;
    CURLMsg *message;
    while ((message = api.multi_info_read(multi, &left)) != NULL) {
        if (message->msg != CURLMSG_DONE) continue;
        *handle = message->easy_handle;
        *result = message->data.result;
        return 1;
    }
    return 0;
}

int ccurl_name_thread(const char *name) { return pthread_setname_np(pthread_self(), name); }
