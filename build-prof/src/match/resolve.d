build-prof/src/match/resolve.o: src/match/resolve.c src/match/resolve.h \
 src/core/buf.h src/core/error.h src/match/standard.h \
 src/warehouse/warehouse.h src/core/seal.h src/store/store.h \
 src/core/map.h src/core/rtime.h src/core/sort.h
src/match/resolve.h:
src/core/buf.h:
src/core/error.h:
src/match/standard.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/core/map.h:
src/core/rtime.h:
src/core/sort.h:
