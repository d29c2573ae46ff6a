build-prof/src/etl/cleanse.o: src/etl/cleanse.c src/etl/cleanse.h \
 src/core/error.h src/core/utf8.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h
src/etl/cleanse.h:
src/core/error.h:
src/core/utf8.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
