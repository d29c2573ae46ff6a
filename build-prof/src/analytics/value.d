build-prof/src/analytics/value.o: src/analytics/value.c \
 src/analytics/value.h src/core/error.h src/analytics/base.h \
 src/store/store.h src/core/sort.h
src/analytics/value.h:
src/core/error.h:
src/analytics/base.h:
src/store/store.h:
src/core/sort.h:
