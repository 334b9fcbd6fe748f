.class final Lorg/hypercompat/shim/gms/location/CallbackListener;
.super Ljava/lang/Object;
.source "CallbackListener.smali"

# Adapts a LocationCallback to android.location.LocationListener.

.implements Landroid/location/LocationListener;

.field final callback:Lorg/hypercompat/shim/gms/location/LocationCallback;

.method constructor <init>(Lorg/hypercompat/shim/gms/location/LocationCallback;)V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lorg/hypercompat/shim/gms/location/CallbackListener;->callback:Lorg/hypercompat/shim/gms/location/LocationCallback;
    return-void
.end method

.method public onLocationChanged(Landroid/location/Location;)V
    .registers 4
    invoke-static {p1}, Ljava/util/Collections;->singletonList(Ljava/lang/Object;)Ljava/util/List;
    move-result-object v0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/location/LocationResult;->create(Ljava/util/List;)Lorg/hypercompat/shim/gms/location/LocationResult;
    move-result-object v0
    iget-object v1, p0, Lorg/hypercompat/shim/gms/location/CallbackListener;->callback:Lorg/hypercompat/shim/gms/location/LocationCallback;
    invoke-virtual {v1, v0}, Lorg/hypercompat/shim/gms/location/LocationCallback;->onLocationResult(Lorg/hypercompat/shim/gms/location/LocationResult;)V
    return-void
.end method

.method public onStatusChanged(Ljava/lang/String;ILandroid/os/Bundle;)V
    .registers 4
    return-void
.end method

.method public onProviderEnabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method

.method public onProviderDisabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method
