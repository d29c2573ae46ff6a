build-prof/src/match/run.o: src/match/run.c src/match/run.h \
 src/match/resolve.h src/core/buf.h src/core/error.h src/match/standard.h \
 src/warehouse/warehouse.h src/core/seal.h src/store/store.h \
 src/core/config.h src/core/json.h src/core/map.h src/core/rtime.h \
 src/core/utf8.h
src/match/run.h:
src/match/resolve.h:
src/core/buf.h:
src/core/error.h:
src/match/standard.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/core/config.h:
src/core/json.h:
src/core/map.h:
src/core/rtime.h:
src/core/utf8.h:
