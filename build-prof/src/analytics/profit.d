build-prof/src/analytics/profit.o: src/analytics/profit.c \
 src/analytics/value.h src/core/error.h src/analytics/base.h \
 src/store/store.h src/core/sort.h
src/analytics/value.h:
src/core/error.h:
src/analytics/base.h:
src/store/store.h:
src/core/sort.h:
