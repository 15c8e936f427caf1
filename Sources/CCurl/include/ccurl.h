/* libcurl, loaded on first use. Gatehouse does not link libcurl: a run that makes no HTTP request (a stdio
   profile, `--version`) never maps it or the thirty libraries it pulls in (docs/decisions.md). The first
   ccurl_global_init() dlopen()s libcurl.so.4 and resolves the functions below; when that fails every
   call reports CURLE_FAILED_INIT (or NULL), and ccurl_load_error() says why.

   curl_easy_setopt and curl_easy_getinfo are C variadic functions, which Swift cannot call: each typed
   wrapper fixes the type of the third argument. Only the header's types and constants come from
   <curl/curl.h> (libcurl4-openssl-dev). */
#ifndef GATEHOUSE_CCURL_H
#define GATEHOUSE_CCURL_H

#include <curl/curl.h>

typedef size_t (*ccurl_data_callback)(char *, size_t, size_t, void *);
typedef int (*ccurl_progress_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

/* Loads libcurl (once, thread-safe) and runs curl_global_init(flags). */
CURLcode ccurl_global_init(long flags);
/* Why libcurl could not be loaded; NULL when it was. */
const char *ccurl_load_error(void);

CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
CURLcode ccurl_easy_perform(CURL *handle);
const char *ccurl_easy_strerror(CURLcode code);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text);
void ccurl_slist_free_all(struct curl_slist *list);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback value);
CURLcode ccurl_setopt_progress_callback(CURL *handle, ccurl_progress_callback value);
CURLcode ccurl_setopt_post_body(CURL *handle, const char *bytes, long length);
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/* The multi interface (curl_multi_poll and curl_multi_wakeup need libcurl 7.68 or later). */
CURLM *ccurl_multi_init(void);
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_perform(CURLM *multi, int *running);
CURLMcode ccurl_multi_poll(CURLM *multi, int timeout_ms);
CURLMcode ccurl_multi_wakeup(CURLM *multi);
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
/* The next finished transfer from curl_multi_info_read: 1 with its handle and result, 0 when none is left. */
int ccurl_multi_next_done(CURLM *multi, CURL **handle, CURLcode *result);


/* pthread_setname_np on the calling thread (at most 15 characters reach the kernel): 0, or an errno value. */
int ccurl_name_thread(const char *name);

#endif
