build-prof/src/etl/load.o: src/etl/load.c src/etl/load.h src/core/error.h \
 src/etl/spec.h src/core/rtime.h src/etl/copybook.h src/etl/reader.h \
 src/warehouse/warehouse.h src/core/seal.h src/store/store.h \
 src/core/buf.h src/core/csv.h src/core/digest.h src/core/map.h \
 src/core/progress.h
src/etl/load.h:
src/core/error.h:
src/etl/spec.h:
src/core/rtime.h:
src/etl/copybook.h:
src/etl/reader.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/core/buf.h:
src/core/csv.h:
src/core/digest.h:
src/core/map.h:
src/core/progress.h:
