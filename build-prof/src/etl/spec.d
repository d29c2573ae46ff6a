build-prof/src/etl/spec.o: src/etl/spec.c src/etl/spec.h src/core/error.h \
 src/core/rtime.h src/etl/copybook.h src/etl/reader.h src/core/buf.h \
 src/core/json.h src/warehouse/warehouse.h src/core/seal.h \
 src/store/store.h
src/etl/spec.h:
src/core/error.h:
src/core/rtime.h:
src/etl/copybook.h:
src/etl/reader.h:
src/core/buf.h:
src/core/json.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
