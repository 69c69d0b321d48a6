/* The jansson arena of the engine's refresh (src/redfish_arena.c): what
 * a window parses lives until rf_arena_leave(), what is built after
 * rf_arena_seal() or outside a window, or on another thread, is
 * malloc's (freed with free() or kept past the window), and windows
 * nest. Under AddressSanitizer a wrong free() here would abort. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "redfish_arena.h"

static const char doc[] = "{\"Members\": [{\"Id\": \"GPU_SXM_1\", \"Reading\": 41.5},"
			  " {\"Id\": \"GPU_SXM_2\", \"Reading\": 39}], \"Name\": \"Processors\"}";

static json_t *arena_parse(const char *text)
{
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, NULL);

	cr_assert(o, "parse");
	return o;
}

Test(redfish_arena, parse_then_build_with_malloc)
{
	json_t *o, *kept;
	char *text;

	rf_arena_install();
	for (int round = 0; round < 3; round++) {   /* the chunk is reused */
		rf_arena_enter();
		o = arena_parse(doc);
		rf_arena_seal();
		cr_expect_str_eq(json_string_value(json_object_get(
			json_array_get(json_object_get(o, "Members"), 1), "Id")), "GPU_SXM_2");
		/* Built in the handler: malloc's, so free() and keeping work. */
		text = json_dumps(o, JSON_COMPACT);
		kept = json_pack("{s:s}", "Name", "kept");
		json_decref(o);
		rf_arena_leave();
		cr_assert(text && strstr(text, "\"Reading\":41.5"), "%s", text ? text : "");
		free(text);
		cr_expect_str_eq(json_string_value(json_object_get(kept, "Name")), "kept");
		json_decref(kept);
	}
	/* Outside a window: plain malloc. */
	o = arena_parse(doc);
	text = json_dumps(o, 0);
	json_decref(o);
	cr_assert(text);
	free(text);
}

Test(redfish_arena, windows_nest)
{
	json_t *outer, *inner;

	rf_arena_enter();
	outer = arena_parse(doc);
	rf_arena_seal();
	rf_arena_enter();   /* an answer handled inside another's handler */
	inner = arena_parse("{\"Id\": \"inner\"}");
	rf_arena_seal();
	json_decref(inner);
	rf_arena_leave();
	/* The outer answer is still whole, and the outer handler still
	 * builds with malloc. */
	cr_expect_str_eq(json_string_value(json_object_get(outer, "Name")), "Processors");
	char *text = json_dumps(outer, 0);
	json_decref(outer);
	rf_arena_leave();
	cr_assert(text);
	free(text);
}

static void *arena_other_thread(void *arg)
{
	(void)arg;
	return arena_parse(doc);   /* while the main thread is in a window */
}

Test(redfish_arena, other_threads_use_malloc)
{
	pthread_t t;
	void *got = NULL;
	json_t *mine;

	rf_arena_enter();
	mine = arena_parse(doc);
	rf_arena_seal();
	cr_assert_eq(pthread_create(&t, NULL, arena_other_thread, NULL), 0);
	cr_assert_eq(pthread_join(t, &got), 0);
	json_decref(mine);
	rf_arena_leave();
	/* The other thread's document outlives this window. */
	cr_assert(got);
	cr_expect_eq(json_array_size(json_object_get(got, "Members")), 2);
	json_decref(got);
}
