build-prof/src/warehouse/contact.o: src/warehouse/contact.c \
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
