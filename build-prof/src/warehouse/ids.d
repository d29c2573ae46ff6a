build-prof/src/warehouse/ids.o: src/warehouse/ids.c \
 src/warehouse/warehouse.h src/core/error.h src/core/seal.h \
 src/store/store.h src/core/progress.h src/core/rtime.h src/core/utf8.h
src/warehouse/warehouse.h:
src/core/error.h:
src/core/seal.h:
src/store/store.h:
src/core/progress.h:
src/core/rtime.h:
src/core/utf8.h:
