build-prof/src/warehouse/upsert.o: src/warehouse/upsert.c \
 src/warehouse/internal.h src/core/rtime.h src/core/error.h \
 src/warehouse/warehouse.h src/core/seal.h src/store/store.h
src/warehouse/internal.h:
src/core/rtime.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
