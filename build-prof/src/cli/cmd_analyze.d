build-prof/src/cli/cmd_analyze.o: src/cli/cmd_analyze.c \
 src/analytics/jobs.h src/core/config.h src/core/error.h \
 src/store/store.h src/analytics/segment.h src/cli/cli.h \
 src/warehouse/warehouse.h src/core/seal.h src/cli/table.h src/core/vec.h \
 src/core/buf.h src/core/csv.h src/core/progress.h src/core/rtime.h
src/analytics/jobs.h:
src/core/config.h:
src/core/error.h:
src/store/store.h:
src/analytics/segment.h:
src/cli/cli.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/cli/table.h:
src/core/vec.h:
src/core/buf.h:
src/core/csv.h:
src/core/progress.h:
src/core/rtime.h:
