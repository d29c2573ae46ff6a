build-prof/src/warehouse/wh.o: src/warehouse/wh.c \
 src/warehouse/warehouse.h src/core/error.h src/core/seal.h \
 src/store/store.h src/warehouse/internal.h src/core/rtime.h \
 src/core/utf8.h
src/warehouse/warehouse.h:
src/core/error.h:
src/core/seal.h:
src/store/store.h:
src/warehouse/internal.h:
src/core/rtime.h:
src/core/utf8.h:
