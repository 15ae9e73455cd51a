/*
 * Nested declared types: jb_stream_config.sources (an array of
 * jb_stream_source, one with filter_subject) and .republish (a pointer to a
 * jb_republish) into the server and back from the stream info, each nested
 * struct carrying its own size; bad nested input (a NULL array with a
 * length, a nested struct without its size) refused with INVALID_ARGUMENT
 * naming the field; through JSON. The ASan and valgrind runs check that the
 * library-owned nested structs are freed with their info.
 */
#include "jbtest.h"

static void test_sources_and_republish(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    jb_client_delete_stream(c, "TNEST");
    CHECK(jbt_fresh_stream(c, "TNEST_ORIGIN", "tnest.origin.>"));

    jb_stream_source src;
    CHECK_OK(jb_stream_source_default(&src));
    CHECK(src.size == sizeof src && src.name == NULL && src.filter_subject == NULL);
    src.name = "TNEST_ORIGIN";
    src.filter_subject = "tnest.origin.keep";
    jb_republish rp;
    CHECK_OK(jb_republish_default(&rp));
    rp.src = "tnest.own.>";
    rp.dest = "tnest.republished.>";

    jb_stream_config sc;
    CHECK_OK(jb_stream_config_default(&sc));
    CHECK(sc.sources == NULL && sc.sources_len == 0 && sc.republish == NULL && sc.placement == NULL);
    sc.name = "TNEST";
    const char *subject = "tnest.own.>";
    sc.subjects = &subject;
    sc.subjects_len = 1;
    sc.storage = JB_STORAGE_TYPE_MEMORY;
    sc.sources = &src;
    sc.sources_len = 1;
    sc.republish = &rp;

    /* Bad nested input, refused before anything reaches the server. */
    jb_stream_info *info = NULL;
    sc.sources = NULL;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "sources") != NULL && info == NULL);
    sc.sources = &src;
    src.size = 0;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "sources[0]") != NULL && info == NULL);
    src.size = sizeof src;
    rp.size = 0;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "republish") != NULL && info == NULL);
    rp.size = sizeof rp;

    CHECK_OK(jb_client_create_stream(c, &sc, &info));
    const jb_stream_config *got = info->config;
    CHECK(got->sources != NULL && got->sources_len == 1);
    CHECK(got->sources[0].size == sizeof(jb_stream_source));
    CHECK(strcmp(got->sources[0].name, "TNEST_ORIGIN") == 0);
    CHECK(got->sources[0].filter_subject != NULL &&
          strcmp(got->sources[0].filter_subject, "tnest.origin.keep") == 0);
    CHECK(got->sources[0].external == NULL);
    CHECK(got->republish != NULL && got->republish->size == sizeof(jb_republish));
    CHECK(strcmp(got->republish->src, "tnest.own.>") == 0);
    CHECK(strcmp(got->republish->dest, "tnest.republished.>") == 0);
    CHECK(!got->republish->headers_only);
    CHECK(got->placement == NULL && got->mirror == NULL);

    /* The info's config, nested structs included, goes back in as it is. */
    jb_stream_info *again = NULL;
    CHECK_OK(jb_client_update_stream(c, info->config, &again));
    CHECK(again->config->sources_len == 1 &&
          strcmp(again->config->sources[0].filter_subject, "tnest.origin.keep") == 0);
    CHECK(again->config->republish != NULL && strcmp(again->config->republish->dest, "tnest.republished.>") == 0);
    CHECK_OK(jb_stream_info_free(again));
    CHECK_OK(jb_stream_info_free(info));

    CHECK_OK(jb_client_stream_info(c, "TNEST", &info));
    CHECK(info->config->sources_len == 1 && info->config->republish != NULL);
    CHECK_OK(jb_stream_info_free(info));

    jb_client_delete_stream(c, "TNEST");
    jb_client_delete_stream(c, "TNEST_ORIGIN");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_nested_json(void) {
    jb_stream_config *sj = NULL;
    CHECK_OK(jb_stream_config_from_json(
        "{\"name\":\"S\",\"sources\":[{\"name\":\"A\",\"filter_subject\":\"a.x\"},"
        "{\"name\":\"B\",\"subject_transforms\":[{\"src\":\"b.>\",\"dest\":\"c.>\"}]}],"
        "\"republish\":{\"src\":\"s.>\",\"dest\":\"r.>\",\"headers_only\":true},"
        "\"placement\":{\"tags\":[\"t1\"]}}",
        &sj));
    CHECK(sj->sources_len == 2 && sj->sources[0].size == sizeof(jb_stream_source));
    CHECK(strcmp(sj->sources[0].filter_subject, "a.x") == 0);
    CHECK(sj->sources[1].subject_transforms_len == 1);
    CHECK(strcmp(sj->sources[1].subject_transforms[0].dest, "c.>") == 0);
    CHECK(sj->republish != NULL && sj->republish->headers_only);
    CHECK(sj->placement != NULL && sj->placement->cluster == NULL && sj->placement->tags_len == 1);
    CHECK(sj->mirror == NULL && sj->consumer_limits == NULL);
    char *text = NULL;
    CHECK_OK(jb_stream_config_to_json(sj, &text));
    CHECK(strstr(text, "\"filter_subject\":\"a.x\"") != NULL);
    CHECK(strstr(text, "\"headers_only\":true") != NULL);
    CHECK(strstr(text, "\"dest\":\"c.>\"") != NULL);
    CHECK_OK(jb_string_free(text));
    CHECK_OK(jb_stream_config_free(sj));

    /* A nested list's NULL pointer with a length, through to_json. */
    jb_stream_config sc;
    CHECK_OK(jb_stream_config_default(&sc));
    sc.name = "S";
    sc.sources_len = 2;
    CHECK_RES(jb_stream_config_to_json(&sc, &text), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "sources") != NULL);
}

const jbt_case jbt_nested_cases[] = {
    {"nested/sources_and_republish", test_sources_and_republish},
    {"nested/json", test_nested_json},
    {NULL, NULL},
};
