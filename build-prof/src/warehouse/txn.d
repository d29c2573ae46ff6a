build-prof/src/warehouse/txn.o: src/warehouse/txn.c src/core/buf.h \
 src/core/error.h src/core/map.h src/core/sort.h src/core/utf8.h \
 src/warehouse/internal.h src/core/rtime.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h
src/core/buf.h:
src/core/error.h:
src/core/map.h:
src/core/sort.h:
src/core/utf8.h:
src/warehouse/internal.h:
src/core/rtime.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
