build-prof/src/api/c360doc.o: src/api/c360doc.c src/api/c360doc.h \
 src/core/error.h src/warehouse/warehouse.h src/core/seal.h \
 src/store/store.h src/core/log.h src/core/progress.h src/core/rtime.h \
 src/security/security.h
src/api/c360doc.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/core/log.h:
src/core/progress.h:
src/core/rtime.h:
src/security/security.h:
