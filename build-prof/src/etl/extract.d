build-prof/src/etl/extract.o: src/etl/extract.c src/core/json.h \
 src/core/buf.h src/core/error.h src/etl/load.h src/etl/spec.h \
 src/core/rtime.h src/etl/copybook.h src/etl/reader.h \
 src/warehouse/warehouse.h src/core/seal.h src/store/store.h
src/core/json.h:
src/core/buf.h:
src/core/error.h:
src/etl/load.h:
src/etl/spec.h:
src/core/rtime.h:
src/etl/copybook.h:
src/etl/reader.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
