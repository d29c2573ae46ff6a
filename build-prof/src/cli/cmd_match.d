build-prof/src/cli/cmd_match.o: src/cli/cmd_match.c src/cli/cli.h \
 src/core/config.h src/core/error.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h src/cli/table.h src/core/vec.h \
 src/core/csv.h src/core/buf.h src/core/json.h src/core/progress.h \
 src/match/run.h src/match/resolve.h src/match/standard.h
src/cli/cli.h:
src/core/config.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/cli/table.h:
src/core/vec.h:
src/core/csv.h:
src/core/buf.h:
src/core/json.h:
src/core/progress.h:
src/match/run.h:
src/match/resolve.h:
src/match/standard.h:
