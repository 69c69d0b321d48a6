/* The hosts an action or a workflow start touches (targets.h). */
#include "targets.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "ui_state.h"

size_t targets_hidden(const struct ui *ui, const size_t *hosts, size_t n)
{
	const struct view_fleet *vf = &ui->vf;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t h = hosts[i];

		if (h >= ui->snap.nhosts || h >= vf->nmatch || !vf->match[h] ||
		    ui->snap.hosts[h].gone)
			k++;
	}
	return k;
}

void targets_names(const struct ui *ui, const size_t *hosts, size_t n, int width, char *buf,
		   size_t len)
{
	char more[48];
	size_t o = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *name = hosts[i] < ui->snap.nhosts ? ui->snap.hosts[hosts[i]].name : "?";
		char try[1024];

		if (i + 1 < n)
			snprintf(more, sizeof(more), " and %zu more", n - i - 1);
		else
			more[0] = '\0';
		snprintf(try, sizeof(try), "%s%s%s%s", buf, i ? ", " : "", name, more);
		if (draw_width(try) > width || strlen(try) >= len)
			break;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", name);
	}
	if (i == n)
		return;
	if (i == 0)
		snprintf(buf, len, "%zu hosts", n);
	else
		snprintf(buf + o, len - o, " and %zu more", n - i);
}

void targets_hidden_note(size_t n, size_t hidden, char *buf, size_t len)
{
	if (!hidden)
		buf[0] = '\0';
	else if (n == 1)
		snprintf(buf, len, "hidden by the filter");
	else
		snprintf(buf, len, "%zu of them hidden by the filter", hidden);
}

bool targets_sent(struct ui *ui, bool from_marks)
{
	struct view_fleet *vf = &ui->vf;

	if (!from_marks || ui->keep_marks || !vf->nmarked)
		return false;
	if (vf->marked)
		memset(vf->marked, 0, vf->nmarks * sizeof(*vf->marked));
	vf->nmarked = 0;
	return true;
}
