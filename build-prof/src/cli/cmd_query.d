build-prof/src/cli/cmd_query.o: src/cli/cmd_query.c src/cli/cli.h \
 src/core/config.h src/core/error.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h src/cli/table.h src/core/vec.h \
 src/core/buf.h src/core/csv.h src/core/json.h
src/cli/cli.h:
src/core/config.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/cli/table.h:
src/core/vec.h:
src/core/buf.h:
src/core/csv.h:
src/core/json.h:
