build-prof/src/etl/resubmit.o: src/etl/resubmit.c src/core/rtime.h \
 src/core/error.h src/etl/load.h src/etl/spec.h src/etl/copybook.h \
 src/etl/reader.h src/warehouse/warehouse.h src/core/seal.h \
 src/store/store.h
src/core/rtime.h:
src/core/error.h:
src/etl/load.h:
src/etl/spec.h:
src/etl/copybook.h:
src/etl/reader.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
