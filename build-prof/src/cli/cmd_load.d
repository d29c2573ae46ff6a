build-prof/src/cli/cmd_load.o: src/cli/cmd_load.c src/cli/cli.h \
 src/core/config.h src/core/error.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h src/cli/table.h src/core/vec.h \
 src/core/json.h src/core/buf.h src/core/csv.h src/core/progress.h \
 src/core/rtime.h src/etl/load.h src/etl/spec.h src/etl/copybook.h \
 src/etl/reader.h
src/cli/cli.h:
src/core/config.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/cli/table.h:
src/core/vec.h:
src/core/json.h:
src/core/buf.h:
src/core/csv.h:
src/core/progress.h:
src/core/rtime.h:
src/etl/load.h:
src/etl/spec.h:
src/etl/copybook.h:
src/etl/reader.h:
