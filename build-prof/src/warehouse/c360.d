build-prof/src/warehouse/c360.o: src/warehouse/c360.c \
 src/warehouse/internal.h src/core/rtime.h src/core/error.h \
 src/warehouse/warehouse.h src/core/seal.h src/store/store.h \
 src/core/json.h src/core/buf.h
src/warehouse/internal.h:
src/core/rtime.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/core/json.h:
src/core/buf.h:
