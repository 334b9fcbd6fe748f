.class public abstract Lorg/hypercompat/shim/gms/location/LocationCallback;
.super Ljava/lang/Object;
.source "LocationCallback.smali"

# Portable stand-in for com.google.android.gms.location.LocationCallback.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public onLocationResult(Lorg/hypercompat/shim/gms/location/LocationResult;)V
    .registers 2
    return-void
.end method
