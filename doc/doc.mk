dist_man_MANS += doc/racktop.1
EXTRA_DIST += README doc/batch.md doc/architecture.md src/setup.sh .ci/run
