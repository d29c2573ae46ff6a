build-prof/src/warehouse/import.o: src/warehouse/import.c \
 src/warehouse/warehouse.h src/core/error.h src/core/seal.h \
 src/store/store.h src/core/json.h src/core/buf.h src/core/map.h
src/warehouse/warehouse.h:
src/core/error.h:
src/core/seal.h:
src/store/store.h:
src/core/json.h:
src/core/buf.h:
src/core/map.h:
